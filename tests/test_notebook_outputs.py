"""The notebooks are read with their outputs (on GitHub, in the docs nbdev builds): what they show must come from the
code as it is. `tools/run_notebooks.py` saves each notebook with a stamp of the code that produced its outputs."""
import json, sys
from conftest import ROOT
sys.path.insert(0, str(ROOT/'tools'))
from run_notebooks import notebooks, code_stamp, saved_stamp, skipped, _as_shown

def test_every_notebook_shows_the_outputs_of_the_current_code():
    stale = [str(p.relative_to(ROOT)) for p in notebooks() if saved_stamp(p) != code_stamp(p)]
    assert not stale, (f"the saved outputs of {stale} come from other code (or were never saved): run `make notebooks` "
                       "(all, 3 minutes on 2 cores) or `python tools/run_notebooks.py --stale`, and commit the notebooks")

def test_the_outputs_include_the_plots():
    # the tutorials exist to be read: each draws at least one figure, and a saved figure is a PNG
    for p in sorted((ROOT/'nbs'/'tutorials').glob('*.ipynb')):
        outs = [o for c in json.loads(p.read_text())['cells'] for o in c.get('outputs', [])]
        assert any('image/png' in o.get('data', {}) for o in outs), f'{p.name} has no saved figure'
        assert not any(o['output_type'] == 'error' for o in outs), p.name

def test_stamp_follows_code_cells_not_prose(tmp_path):
    src = ROOT/'nbs'/'03_losses.ipynb'
    nb = json.loads(src.read_text())
    def stamp_of(edit):
        c = json.loads(json.dumps(nb)); edit(c['cells']); p = tmp_path/'nb.ipynb'; p.write_text(json.dumps(c))
        return code_stamp(p)
    def md(cells): next(c for c in cells if c['cell_type'] == 'markdown')['source'].append('\nmore prose')
    def code(cells): next(c for c in cells if c['cell_type'] == 'code')['source'].append('\nx = 1')
    assert stamp_of(lambda cells: None) == code_stamp(src) == stamp_of(md) != stamp_of(code)

def test_progress_bars_are_kept_as_a_terminal_shows_them():
    assert _as_shown('epoch 1\repoch 2\repoch 3\r\ndone\n') == 'epoch 3\ndone\n'
    assert _as_shown('no bar') == 'no bar'

def test_cells_run_as_nbdev_test_runs_them():
    from execnb.nbio import mk_cell
    run = lambda src, flags={'cuda'}: not skipped(mk_cell(src), flags)
    assert run('x = 1') and run('#| slow\nx = 1') and run('#| export\nx = 1') and run('x = 1\n#| cuda')
    assert not run('#| cuda\nx = 1') and not run('#| eval: false\nx = 1') and not run('#|eval:false\nx = 1')
    assert not run("nbdev_export('x.ipynb')") and skipped(mk_cell('# a heading', cell_type='markdown'), set())
    assert not run('#| slow\nx = 1', {'slow', 'cuda'})
