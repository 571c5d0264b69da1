"""SHACL: shapes, reading data, engines, record-wise validation, the checks evaluated in Python, and
reports. ``spinekg.shacl.validate`` is the facade the CLI and users call."""
