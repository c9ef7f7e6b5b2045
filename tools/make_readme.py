"""Build README.md from nbs/index.ipynb, replacing `<!-- results -->` with tables generated from benchmarks/results/."""
import json, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT/'benchmarks'))
from tables import render_all  # noqa: E402

def cell_text(c): return ''.join(c['source'])

def notebook_markdown(nb_path: Path) -> str:
    nb, out = json.loads(nb_path.read_text()), []
    for c in nb['cells']:
        src = cell_text(c)
        if c['cell_type'] == 'markdown':
            out.append(src.replace('<!-- results -->', render_all(ROOT/'benchmarks'/'results')))
        elif c['cell_type'] == 'code' and not src.lstrip().startswith(('#| hide', '#|hide')):
            out.append(f"```python\n{src}\n```")
            text = ''.join(''.join(o.get('text', '')) for o in c.get('outputs', []) if o.get('output_type') == 'stream')
            if text.strip(): out.append(f"```\n{text.rstrip()}\n```")
    return '\n\n'.join(out) + '\n'

if __name__ == '__main__':
    md = notebook_markdown(ROOT/'nbs'/'index.ipynb')
    (ROOT/'README.md').write_text(md)
    print(f"wrote README.md ({len(md.splitlines())} lines)")
