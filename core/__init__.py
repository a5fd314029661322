"""The pure core: vocabularies and the status rule. It imports nothing else of the project.

Every other package (ingest, tracker, search_index, briefings, the web app, the command line)
may import core; core imports none of them (tests/test_layers.py checks this).
"""
