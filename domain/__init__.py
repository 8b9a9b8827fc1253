"""The members' world: aggregates, their events and the rules they keep.

Imports nothing of ours outside this package and nothing of Flask, SQL or HTTP.
"""
