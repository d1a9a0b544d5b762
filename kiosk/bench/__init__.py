"""`kiosk bench`: measure this tablet's installed engines and packs against targets.

targets.py (pure pass / fail decisions), data.py (FLORES-200 references, bundled clips),
engines.py (which engine serves each language), speech.py (clips streamed as from the
microphone, shared with benchmarks/), measure.py (the runs), probe.py (start-up
and memory in a child process), quality.py (chrF++), report.py (table and JSON),
commands.py (the CLI).  No Kivy here: the admin screen calls ``commands.run_bench``.
"""
