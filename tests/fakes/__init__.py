"""Local stand-ins for outside services: real servers on 127.0.0.1, never the internet."""
