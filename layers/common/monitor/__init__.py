"""Monitor's shared package: everything the functions have in common lives here."""
