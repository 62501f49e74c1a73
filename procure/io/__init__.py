"""Reading and writing files: safe YAML, tables and workbooks as Swedish systems export them,
numbers and amounts as people type them, atomic outputs."""
