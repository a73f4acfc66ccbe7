"""A Telegram helper for young people in the UK on knife crime: calm, honest information and
the routes to support. See README.md for how to run it and DESIGN notes in the modules."""
