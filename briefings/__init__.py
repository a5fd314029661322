"""Seven-minute briefings built from the learning in reviews.db (issue 8).

`content` gathers the seven sections, `docx_writer` lays them out on one A4 page, `uses` keeps the
record of teams delivering them, and `python -m briefings` is the command line.
"""
