"""Engine protocols (base.py), one real adapter per engine, and fakes for tests."""
