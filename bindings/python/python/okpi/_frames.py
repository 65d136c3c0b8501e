"""Results as DataFrames: pandas by default, polars with ``backend="polars"``.

Shape (pandas): one row per item, indexed by its ``id`` and without an ``id`` column, so ``sort_values("id")``,
``groupby("id")`` and ``merge(on="id")`` work on the index level (pandas reads an index level name wherever it reads a
column name) and nothing is both. ``reset_index()`` gives a plain ``id`` column. Polars has no index: ``id`` is the
first column. With ``model=`` the frames gain the document's words: ``title`` and ``owner`` (``unit:<id>`` or
``person:<id>``) for objectives and key results (a key result's owner is its objective's), the metric's display name
(``metric_name``, from ``metric_names`` of a document read with ``okpi.load``) for KPI targets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Literal, Mapping, Optional, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from . import Model

#: Where frames are built.
Backend = Literal["pandas", "polars"]


def _pandas() -> Any:
    try:
        import pandas  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise ImportError("okpi's *_frame functions need pandas: pip install pandas (or okpi[pandas])") from None
    return pandas


def _polars() -> Any:
    try:
        import polars
    except ImportError:
        raise ImportError("backend='polars' needs polars: pip install polars (or okpi[polars])") from None
    return polars


def rows(result: Mapping[str, Any], key: str) -> List[Dict[str, Any]]:
    items = result.get(key)
    if not isinstance(items, list):
        raise TypeError(f"the result has no {key!r} list; pass the dict okpi returned")
    return items


def scope_text(scope: Any) -> Optional[str]:
    """``{"unit": "sales"}`` as ``unit:sales``."""
    if isinstance(scope, Mapping) and len(scope) == 1:
        ((kind, ident),) = scope.items()
        return f"{kind}:{ident}"
    return None


def frame(
    records: Sequence[Mapping[str, Any]],
    backend: Backend,
    index: Optional[str] = "id",
    columns: Optional[List[str]] = None,
) -> Any:
    """A DataFrame of ``records``: pandas indexed by ``index`` (no such column left), or polars with it first."""
    if backend == "polars":
        pl = _polars()
        if not records:
            return pl.DataFrame({c: [] for c in (columns or ([index] if index else []))})
        df = pl.DataFrame([dict(r) for r in records], infer_schema_length=None)
        if columns:
            df = df.select([c for c in columns if c in df.columns])
        if index and index in df.columns:
            df = df.select([index] + [c for c in df.columns if c != index])
        return df
    if backend != "pandas":
        raise ValueError(f"backend must be 'pandas' or 'polars', not {backend!r}")
    pd = _pandas()
    df = pd.DataFrame.from_records(list(records), columns=columns)
    if index:
        if index not in df.columns:
            df[index] = []
        df = df.set_index(index)
    return df


def _words(model: "Optional[Model]") -> Dict[str, Dict[str, Any]]:
    """Titles and owners by id, from the model's document."""
    if model is None:
        return {}
    doc = model.to_document()
    out: Dict[str, Dict[str, Any]] = {}
    owners: Dict[str, Optional[str]] = {}
    for o in doc.get("objectives", []):
        owner = scope_text(o.get("owner"))
        owners[o["id"]] = owner
        out[o["id"]] = {"title": o.get("title"), "owner": owner}
    for k in doc.get("key_results", []):
        out[k["id"]] = {"title": k.get("title"), "owner": owners.get(k["objective"])}
    return out


def items_frame(
    result: Mapping[str, Any], key: str, model: "Optional[Model]", backend: Backend
) -> Any:
    words = _words(model)
    records = []
    for r in rows(result, key):
        record = dict(r)
        if model is not None:
            record.update(words.get(r["id"], {"title": None, "owner": None}))
        records.append(record)
    return frame(records, backend)


def targets_frame(report: Mapping[str, Any], model: "Optional[Model]", backend: Backend) -> Any:
    names = model.metric_names if model is not None else {}
    records = []
    for t in rows(report, "targets"):
        record = dict(t)
        record["scope"] = scope_text(t.get("scope"))
        if model is not None:
            record["metric_name"] = names.get(t["metric"], t["metric"])
        records.append(record)
    return frame(records, backend)
