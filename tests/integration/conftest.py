"""Integration hooks: the sizes tests report (``record_property("size", ...)``) in the terminal summary."""


def pytest_terminal_summary(terminalreporter):
    lines = sorted("%s: %s" % (report.nodeid, value)
                   for reports in terminalreporter.stats.values() for report in reports
                   if getattr(report, "when", None) == "call"
                   for name, value in getattr(report, "user_properties", ()) if name == "size")
    if lines:
        terminalreporter.write_sep("-", "test sizes")
        for line in lines:
            terminalreporter.write_line(line)
