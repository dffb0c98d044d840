"""Where extracted documents wait between the extraction and load steps: one pickle file per partition.

Unlike Dagster's filesystem IO manager it accepts a run over a range of partitions (one file each), so a
ranged run can extract many documents in one step.
"""

import pickle
from pathlib import Path
from typing import Any

from dagster import ConfigurableIOManager, InputContext, OutputContext

from extract.model import ExtractedDocument


class ExtractedDocumentStore(ConfigurableIOManager):
    """Pickled `ExtractedDocument`s by partition, under `base_dir` (default: the instance's storage folder)."""

    base_dir: str | None = None

    def _folder(self, context: InputContext | OutputContext) -> Path:
        base = Path(self.base_dir) if self.base_dir else Path(context.step_context.instance.storage_directory())
        return base.joinpath(*context.asset_key.path)

    def handle_output(self, context: OutputContext, obj: dict[str, ExtractedDocument]) -> None:
        folder = self._folder(context)
        folder.mkdir(parents=True, exist_ok=True)
        for partition, doc in obj.items():
            (folder / f"{partition}.pickle").write_bytes(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))

    def load_input(self, context: InputContext) -> dict[str, Any]:
        folder = self._folder(context)
        return {key: pickle.loads((folder / f"{key}.pickle").read_bytes()) for key in context.asset_partition_keys}
