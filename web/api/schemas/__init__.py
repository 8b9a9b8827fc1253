"""The marshmallow schemas of the JSON API: one module per group of resources."""
