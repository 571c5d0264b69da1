"""The README's two set-up commands stay true: CI runs exactly the README test command."""
from __future__ import annotations

import re


def fenced_bash_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S)]


def test_ci_runs_the_readme_test_command(repo):
    blocks = fenced_bash_blocks((repo / "README.md").read_text(encoding="utf-8"))
    install_and_answer, install_and_test = blocks[0], blocks[1]
    assert install_and_answer == 'python3 -m pip install . && spinekg classify "L4-L5 microdiscectomy"'
    assert install_and_test in (repo / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_readme_main_command_answers(cli):
    code, out, _ = cli("classify", "L4-L5 microdiscectomy")
    assert code == 0 and "spine surgery: yes" in out and "back surgery:  yes" in out
