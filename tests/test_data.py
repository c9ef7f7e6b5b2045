"Data loading: the regression paper's split sizes, clear errors on bad files, CIFAR-10 from the JPEG zips."
import numpy as np, pytest, torch
from conftest import need_shared
from dfkd_nb.data import load_regression, load_cifar10, crop_flip, ImageData

# rows in the data set -> (train, validation, test) under the paper's protocol
SPLITS = {'compactiv': (8192, 5000, 319, 2873), 'cpusmall': (8192, 5000, 319, 2873),
          'mv': (40768, 5000, 3576, 32192), 'puma32h': (8192, 5000, 319, 2873)}

@need_shared('data', 'regression')
@pytest.mark.parametrize('name', list(SPLITS))
def test_regression_split_sizes(name):
    n, tr, va, te = SPLITS[name]
    r = load_regression(name, seed=3)
    assert (len(r.y_train), len(r.y_val), len(r.y_test)) == (tr, va, te) and tr + va + te == n
    allX = torch.cat([r.X_train, r.X_val, r.X_test])
    assert torch.allclose(allX.mean(0), torch.zeros(r.n_features), atol=1e-4)  # standardised on the whole set
    assert not torch.equal(load_regression(name, seed=4).y_train, r.y_train)     # the seed changes the split

@need_shared('data', 'regression')
def test_regression_split_is_the_reference_codes():
    """The reference code's protocol written out: X and y standardised on the whole set, 5,000 training rows drawn with
    random_state=seed, then 10 % of the rest for validation with the same random_state (so seeds 1-10 are its splits)."""
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler
    from dfkd_nb.data import regression_folder
    folder = regression_folder('cpusmall'); X, y = np.load(folder/'X.npy'), np.load(folder/'y.npy')
    X, y = StandardScaler().fit_transform(X), StandardScaler().fit_transform(y.reshape(-1, 1))[:, 0]
    Xtr, Xrest, ytr, yrest = train_test_split(X, y, train_size=5000, random_state=1)
    Xva, Xte, yva, yte = train_test_split(Xrest, yrest, train_size=0.1, random_state=1)
    r = load_regression('cpusmall', seed=1)
    for ours, ref in [(r.X_train, Xtr), (r.y_train, ytr), (r.X_val, Xva), (r.y_val, yva), (r.X_test, Xte), (r.y_test, yte)]:
        assert np.allclose(ours.numpy(), ref, atol=1e-5)

def _folder(tmp_path, X, y):
    np.save(tmp_path/'X.npy', X); np.save(tmp_path/'y.npy', y); return tmp_path

@pytest.mark.parametrize('X,y,err,match', [
    (np.zeros((10, 2)), np.zeros(9), ValueError, 'must match'),
    (np.zeros((10, 2)), np.r_[np.zeros(9), np.nan], ValueError, 'y has 1 NaN or infinite targets'),
    (np.zeros((10, 2)), np.r_[np.zeros(9), np.inf], ValueError, 'y has 1 NaN or infinite targets'),
    (np.array([['a', 'b']] * 10), np.zeros(10), TypeError, 'numeric'),
    (np.r_[np.zeros((9, 2)), [[np.inf, 0]]], np.zeros(10), ValueError, 'infinite'),
])
def test_regression_bad_input(tmp_path, X, y, err, match):
    with pytest.raises(err, match=match): load_regression(_folder(tmp_path, X, y), train_size=5)

def test_regression_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match='X.npy'): load_regression(tmp_path)

@need_shared('data', 'cifar10-jpeg-test.zip')
def test_cifar10_test_split_from_zip(tmp_path, monkeypatch):
    monkeypatch.setenv('DFKD_CACHE', str(tmp_path))   # an empty cache: the JPEGs are decoded here (3 s), not read back
    te = load_cifar10('test')
    assert te.x.shape == (10000, 3, 32, 32) and te.x.dtype == torch.uint8
    assert torch.bincount(te.y).tolist() == [1000] * 10 and te.classes[0] == 'airplane'
    assert 0.4 < te.x.float().mean().item() / 255 < 0.5
    cached = list(tmp_path.glob('cifar10_test_zip_*.pt'))
    import dfkd_nb.data
    def no_decoding(*a): raise AssertionError('decoded again')
    monkeypatch.setattr(dfkd_nb.data, '_from_zip', no_decoding)
    assert len(cached) == 1 and torch.equal(load_cifar10('test').x, te.x)   # decoded once; the next call reads the cache

def test_wrong_image_tensor_is_rejected():
    with pytest.raises(ValueError, match='uint8'): ImageData(torch.zeros(2, 3, 4, 4), torch.zeros(2), ['a'], (0,) * 3, (1,) * 3)
    with pytest.raises(ValueError, match='channels'): ImageData(torch.zeros(2, 1, 4, 4, dtype=torch.uint8), torch.zeros(2), ['a'], (0,) * 3, (1,) * 3)

def test_augmentation_is_seeded_and_keeps_shapes():
    x = torch.randint(0, 255, (16, 3, 32, 32), dtype=torch.uint8)
    a = crop_flip(x, generator=torch.Generator().manual_seed(0)); b = crop_flip(x, generator=torch.Generator().manual_seed(0))
    c = crop_flip(x, generator=torch.Generator().manual_seed(1))
    assert a.shape == x.shape and a.dtype == x.dtype and torch.equal(a, b) and not torch.equal(a, c)

def test_bad_normalisation_is_rejected():
    x = torch.zeros(2, 3, 4, 4, dtype=torch.uint8)
    with pytest.raises(ValueError, match='std must be one number above 0 per channel'): ImageData(x, torch.zeros(2), ['a'], (0,) * 3, (1, 0, 1))
    with pytest.raises(ValueError, match='std must be one number above 0 per channel'): ImageData(x, torch.zeros(2), ['a'], (0,) * 3, (1,) * 2)

def test_cifar10_falls_back_to_the_newest_cached_decode(tmp_path, monkeypatch):
    """No CIFAR-10 source anywhere, but decodes from earlier calls: the newest serves, and a split with none fails clearly
    (01_data checks the fallback itself and that an explicit root never falls back)."""
    import os
    cache, empty = tmp_path/'cache', tmp_path/'empty'; cache.mkdir(); empty.mkdir()
    for i, name in enumerate(['cifar10_test_zip_1.pt', 'cifar10_test_folder_2.pt']):   # written in this order
        torch.save((torch.full((i + 1, 3, 32, 32), i, dtype=torch.uint8), torch.arange(i + 1)), cache/name)
        os.utime(cache/name, (1e9 + i, 1e9 + i))
    monkeypatch.setenv('DFKD_CACHE', str(cache)); monkeypatch.setenv('DFKD_DATA', str(empty)); monkeypatch.chdir(empty)
    with pytest.warns(UserWarning, match='using the cached decode .*cifar10_test_folder_2.pt'): te = load_cifar10('test')
    assert len(te) == 2 and te.x.max() == 1 and te.classes[0] == 'airplane'
    with pytest.raises(FileNotFoundError, match='no cached decode of this split'): load_cifar10('train')

def test_cifar10_from_an_extracted_imagefolder_tree(tmp_path, monkeypatch):
    "CIFAR-10 extracted as test/<class>/<image> files (the second documented layout): each image with its class label."
    from PIL import Image
    from dfkd_nb.data import CIFAR10_CLASSES
    for ci, c in enumerate(CIFAR10_CLASSES):
        (tmp_path/'test'/c).mkdir(parents=True)
        Image.fromarray(np.full((32, 32, 3), 10 * ci, np.uint8)).save(tmp_path/'test'/c/'0.png')   # lossless, a value per class
    monkeypatch.setenv('DFKD_CACHE', str(tmp_path/'cache'))
    te = load_cifar10('test', root=tmp_path)
    assert te.y.tolist() == list(range(10)) and te.x[:, :, 0, 0].tolist() == [[10 * i] * 3 for i in range(10)]

def test_cifar10_from_torchvisions_layout(tmp_path, monkeypatch):
    "torchvision's cifar-10-batches-py (pickled rows of 3,072 bytes, channel-major) becomes (N, 3, 32, 32) uint8 images."
    import pickle, torchvision.datasets.cifar as tvc
    from dfkd_nb.data import CIFAR10_CLASSES
    d = tmp_path/'cifar-10-batches-py'; d.mkdir()
    x = np.zeros((2, 3, 32, 32), np.uint8); x[:, 0], x[:, 1], x[:, 2] = 10, 20, 30   # a value per channel
    x[1, :, 0, 5] = 255                                                                  # and one pixel: row 0, column 5
    with open(d/'test_batch', 'wb') as f: pickle.dump({'data': x.reshape(2, -1), 'labels': [3, 7]}, f)
    with open(d/'batches.meta', 'wb') as f: pickle.dump({'label_names': CIFAR10_CLASSES}, f)
    monkeypatch.setattr(tvc, 'check_integrity', lambda *a, **k: True)   # torchvision checks the real files' checksums
    monkeypatch.setenv('DFKD_CACHE', str(tmp_path/'cache'))
    te = load_cifar10('test', root=tmp_path)
    assert torch.equal(te.x, torch.from_numpy(x)) and te.y.tolist() == [3, 7] and te.classes == CIFAR10_CLASSES
