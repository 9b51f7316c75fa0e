"""Ashshash SMS: the hands. Jobs that turn stored messages into records and replies."""
