"""The Telegram front end: python-telegram-bot 22, polling or webhook mode."""
