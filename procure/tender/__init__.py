"""The tender: the procurement spec, its eForms/OCDS notice codes and the answer template."""
