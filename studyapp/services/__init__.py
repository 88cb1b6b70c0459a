"""Write operations as plain functions: (session, ids, now) -> domain -> rows. They flush, never commit;
the request (or CLI command) that called them owns the transaction."""
