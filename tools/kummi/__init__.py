import importlib.metadata as _m

try:
    __version__ = _m.version("kummi")
except _m.PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"
