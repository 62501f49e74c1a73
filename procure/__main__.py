"""Allow ``python -m procure``."""

from procure.cli import main

if __name__ == "__main__":
    main()
