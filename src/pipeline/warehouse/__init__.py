"""The DuckDB warehouse: connection, tables, the writer lock and the transactional load."""
