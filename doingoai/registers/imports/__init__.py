"""Bulk import of register records from XLSX and CSV files."""
