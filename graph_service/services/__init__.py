"""The product's logic, free of HTTP and of any driver: views and the CLI call these."""
