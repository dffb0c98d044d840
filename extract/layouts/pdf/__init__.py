"""The published PDF table, read with pdfplumber: chars and rulings -> lines -> cells -> rows."""
