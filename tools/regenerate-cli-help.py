#!/usr/bin/env python3
"""Rewrites the help blocks of docs/cli.md from the built jar: each heading "### `moderncnns ARGS --help`" is
followed by a fenced block that gets the jar's output for ARGS --help. CliIT checks that they agree.
Usage: tools/regenerate-cli-help.py [path/to/cli.jar]  (default cli/target/cli.jar; build it first)"""
import pathlib
import re
import subprocess
import sys

root = pathlib.Path(__file__).resolve().parent.parent
jar = sys.argv[1] if len(sys.argv) > 1 else str(root / "cli/target/cli.jar")
doc = root / "docs/cli.md"
text = doc.read_text()
pattern = re.compile(r"(### `moderncnns (?P<args>[^`]*)`\n\n```\n)(?P<body>.*?)(```\n)", re.S)


def help_of(match):
    args = match.group("args").split()
    out = subprocess.run(["java", "-jar", jar, *args], capture_output=True, text=True, check=True,
                         env={"COLUMNS": "80", "PATH": "/usr/bin:/bin"}).stdout
    return match.group(1) + out + match.group(4)


new = pattern.sub(help_of, text)
doc.write_text(new)
print(f"{doc}: {len(pattern.findall(text))} help blocks regenerated")
