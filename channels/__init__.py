"""Chat channels the advisor adds to Rasa's own (credentials.yml names them by module path)."""
