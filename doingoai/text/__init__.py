"""Plain-Python text tools (no Django): Vietnamese folding, tokenizing and search snippets."""
