"""Dataset bundles on disk: observed data, code tables and truth as Parquet, a manifest and a data dictionary."""

from bipsim.contract.schema import SchemaError
from bipsim.dataset.bundle import (
    Bundle,
    BundleError,
    BundleExistsError,
    read_bundle,
    read_manifest,
    verify,
    write_bundle,
)
from bipsim.dataset.dictionary import data_dictionary

__all__ = [
    "Bundle",
    "BundleError",
    "BundleExistsError",
    "SchemaError",
    "data_dictionary",
    "read_bundle",
    "read_manifest",
    "verify",
    "write_bundle",
]
