"""The corpus as flat tables: built as Parquet and JSON Lines, read by DuckDB, pandas, Polars,
pyarrow and jobun itself, with the same counts as the per-document JSON."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import jobun
from jobun.cli import main as cli_main
from jobun.corpus import table_writer
from jobun.io.tables import SCHEMA, TABLE_NAMES

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "raw"
DEV_SET = ROOT.parent / "shared" / "dev" / "egov" / "text"


def build(*args) -> int:
    return cli_main(["build", *map(str, args), "-q"])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Seeds and development set in one build: documents, Parquet tables and JSON Lines tables."""
    out = tmp_path_factory.mktemp("tables") / "out"
    assert build(SEEDS, DEV_SET, "-o", out, "-j", "2", "--format", "json,parquet,jsonl-tables",
                 "--compress", "gz") == 0
    return out


def json_counts(out: Path) -> dict:
    counts = dict.fromkeys(("documents", "nodes", "references", "definitions", "warnings"), 0)
    for path in out.glob("*.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        counts["documents"] += 1
        stack = list(doc["children"])
        while stack:
            node = stack.pop()
            counts["nodes"] += 1
            stack += node["children"]
        for key in ("references", "definitions", "warnings"):
            counts[key] += len(doc[key])
    return counts


def duckdb_counts(out: Path) -> dict:
    return {table: duckdb.sql(f"select count(*) from '{out}/_tables/{table}/*.parquet'").fetchall()[0][0]
            for table in ("documents", "nodes", "references", "definitions", "warnings")}


def test_duckdb_counts_equal_the_per_document_json(corpus):
    counts = json_counts(corpus)
    assert counts["documents"] == len(list(SEEDS.glob("*.txt"))) + len(list(DEV_SET.iterdir()))
    assert counts["references"] > 1000 and counts["definitions"] > 100
    assert duckdb_counts(corpus) == counts


def test_doc_ids_are_unique_paths_relative_to_the_build_root(corpus):
    ids = duckdb.sql(f"select doc_id from '{corpus}/_tables/documents/*.parquet'").fetchall()
    assert len(ids) == len({i for (i,) in ids})
    assert ("000_30d030d3b9d0000f.txt",) in ids
    orphans = duckdb.sql(f"select count(*) from '{corpus}/_tables/nodes/*.parquet' n "
                         f"anti join '{corpus}/_tables/documents/*.parquet' d using (doc_id)").fetchall()[0][0]
    assert orphans == 0


def test_column_names_are_not_sql_keywords():
    keywords = {k.lower() for (k,) in duckdb.sql("select keyword_name from duckdb_keywords() "
                                                 "where keyword_category = 'reserved'").fetchall()}
    columns = {column for table in SCHEMA.values() for column, _ in table}
    assert keywords and not columns & keywords
    duckdb.sql("create table probe (" + ", ".join(f"{c} varchar" for c in sorted(columns)) + ")")
    duckdb.sql("select " + ", ".join(sorted(columns)) + " from probe")     # unquoted, no syntax error


def test_readme_one_liners(corpus):
    nodes = f"{corpus}/_tables/nodes"
    by_kind = dict(duckdb.sql(f"select kind, count(*) from '{nodes}/*.parquet' group by kind").fetchall())
    assert by_kind["article"] > 500
    frame = pd.read_parquet(f"{corpus}/_tables/references")
    assert list(frame.columns) == [c for c, _ in SCHEMA["references"]]
    polars_frame = pl.read_parquet(f"{nodes}/*.parquet")
    assert polars_frame.height == sum(by_kind.values())
    assert pq.read_table(nodes).num_rows == polars_frame.height


def test_jsonl_tables_hold_the_same_rows_as_parquet(corpus):
    for table in TABLE_NAMES:
        parquet_rows = pq.read_table(f"{corpus}/_tables/{table}/part-00000.parquet").to_pylist()
        jsonl = duckdb.sql(f"select count(*) from read_json('{corpus}/_tables/{table}.jsonl.gz', "
                           f"format='newline_delimited')").fetchall()[0][0]
        assert jsonl == len(parquet_rows)


def test_jobun_tables_and_load_read_every_variant(corpus, tmp_path):
    tables = jobun.tables(corpus)
    assert {name: t.num_rows for name, t in tables.items()} == \
        {name: t.num_rows for name, t in jobun.tables(next(corpus.glob("*.json")).parent).items()}
    from_json = [d.to_dict() for d in jobun.load(corpus)]
    # tables alone (no document files): load rebuilds the same trees, references and definitions
    only_tables = tmp_path / "only"
    shutil.copytree(corpus / "_tables", only_tables / "_tables")
    shutil.rmtree(only_tables / "_tables" / "nodes")               # nodes from the JSON Lines copy
    from_tables = list(jobun.load(only_tables))
    assert len(from_tables) == len(from_json)
    for rebuilt, original in zip(from_tables, from_json):
        assert [n.id for n in rebuilt.walk()] == [_ids(original)][0]
        assert [r.targets for r in rebuilt.references] == [r["targets"] for r in original["references"]]
        assert [d.term for d in rebuilt.definitions] == [d["term"] for d in original["definitions"]]


def _ids(doc: dict) -> list[str]:
    ids, stack = [], list(reversed(doc["children"]))
    while stack:
        node = stack.pop()
        ids.append(node["id"])
        stack += reversed(node["children"])
    return ids


def test_two_corpora_built_apart_concatenate(tmp_path):
    small = tmp_path / "small"
    small.mkdir()
    (small / "note.txt").write_text("これは条文のない短い文書です。\n", encoding="utf-8")
    assert build(small, "-o", tmp_path / "a", "--format", "parquet") == 0
    assert build(SEEDS, "-o", tmp_path / "b", "--format", "parquet") == 0
    for table in TABLE_NAMES:
        schemas = {str(pq.read_schema(tmp_path / c / "_tables" / table / "part-00000.parquet")) for c in "ab"}
        assert len(schemas) == 1, table
    union = duckdb.sql(f"select count(*) from read_parquet(['{tmp_path}/a/_tables/references/*.parquet', "
                       f"'{tmp_path}/b/_tables/references/*.parquet'])").fetchall()[0][0]
    assert union == duckdb.sql(f"select count(*) from '{tmp_path}/b/_tables/references/*.parquet'").fetchall()[0][0]
    assert list((tmp_path / "a").glob("*.json")) == []        # parquet only, as asked


def test_row_groups_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(table_writer, "ROW_GROUP_ROWS", 100)
    big = tmp_path / "raw" / "big.txt"
    big.parent.mkdir()
    big.write_bytes((SEEDS / "000_30d030d3b9d0000f.txt").read_bytes() * 4)
    assert build(big.parent, "-o", tmp_path / "out", "--format", "parquet", "-j", "1") == 0
    meta = pq.ParquetFile(tmp_path / "out" / "_tables" / "nodes" / "part-00000.parquet").metadata
    assert meta.num_rows > 300 and meta.num_row_groups >= 3
    assert max(meta.row_group(i).num_rows for i in range(meta.num_row_groups)) <= 100


def _definitions(doc_id: str, terms: list, uses: list, scopes: list) -> dict:
    rows = len(terms)
    return {"doc_id": [doc_id] * rows, "node_id": [f"a{i}" for i in range(rows)], "term": terms,
            "definition": [t and t + "をいう。" for t in terms], "span_start": list(range(rows)),
            "span_end": [None if s is None else i + 3 for i, s in enumerate(scopes)], "form": ["paren"] * rows,
            "scope": scopes, "use_nodes": uses}


@pytest.mark.parametrize("documents", [
    [_definitions("a.txt", ["利用者", "本規約"], [["a1", "a2"], []], [None, "本条"])],
    [_definitions("a.txt", [], [], []), _definitions("b.txt", ["", "ｘ"], [None, [""]], ["第２条", None])],
    [_definitions("a.txt", ["会員"], [["p1"]], ["本章"]), _definitions("b.txt", [None], [["a1", None]], [None])],
    [_definitions("a.txt", ["甲", "乙"], [[], []], ["本条", "本条"])],
])
def test_arrow_buffers_made_without_pyarrow_equal_pyarrows_own_conversion(documents):
    """Nulls in string, integer and list columns, empty strings and lists, documents without rows."""
    from jobun.io.arrow_buffers import RowGroup, encode_table
    from jobun.io.tables import arrow_schema
    group = RowGroup("definitions")
    for columns in documents:
        group.add(encode_table("definitions", columns))
    joined = {column: [v for columns in documents for v in columns[column]] for column, _ in SCHEMA["definitions"]}
    made = pa.Table.from_arrays(group.arrays(), schema=arrow_schema("definitions"))
    made.validate(full=True)
    assert made.equals(pa.Table.from_pydict(joined, schema=arrow_schema("definitions")))
    assert made.to_pydict() == joined


def test_a_parquet_build_does_not_import_pandas(tmp_path):
    """pyarrow imports pandas at its first conversion of a Python list (a quarter of a second);
    the build converts none. Also the workers are forked before pyarrow is imported."""
    code = ("import sys; from jobun.cli import main; "
            "code = main(['build', sys.argv[1], '-o', sys.argv[2], '-q', '-j', '2', '--format', 'parquet']); "
            "print(code, 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(SEEDS), str(tmp_path / "out")],
                         capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "False"]
    assert pq.read_table(tmp_path / "out" / "_tables" / "nodes").num_rows > 100
