"""Coop's application layer: the one event-sourced application, its services,
configuration, the composition root and the ``coop`` command line."""
