"""The fine-tune process's messages reach the dialog intact: UTF-8 is decoded across read chunks
(a path like /home/josé/… split between two reads must not turn into replacement characters), and
the child is told to write UTF-8 whatever the platform's console encoding."""

from __future__ import annotations

import sys

from app.training.process import TrainingProcess


class _Chunks:
    """Stands in for the QProcess: hands out the given byte chunks, one per read."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = list(chunks)

    def readAllStandardOutput(self):  # noqa: N802, ANN201 - QProcess's name
        class _Data:
            def __init__(self, data: bytes) -> None:
                self._data = data

            def data(self) -> bytes:
                return self._data

        return _Data(self.chunks.pop(0) if self.chunks else b"")


def test_a_character_split_between_two_reads_is_decoded_whole(qtbot) -> None:
    worker = TrainingProcess()
    lines: list[str] = []
    worker.output.connect(lines.append)
    text = "wrote /home/josé/runs/finetune-été/model.safetensors\n".encode()
    cut = text.index("é".encode()) + 1  # inside the two bytes of é
    worker.process = _Chunks([text[:cut], text[cut:]])
    worker._read_output()
    worker._read_output()
    assert lines == ["wrote /home/josé/runs/finetune-été/model.safetensors"]


def test_the_training_process_writes_utf8(qtbot, monkeypatch) -> None:  # noqa: ANN001
    from PySide6.QtCore import QProcess

    monkeypatch.setenv("PYTHONIOENCODING", "latin-1")  # as a Windows console's cp1252 would be
    worker = TrainingProcess()
    lines: list[str] = []
    worker.output.connect(lines.append)
    proc = QProcess()
    proc.setProcessEnvironment(worker.environment())
    proc.start(sys.executable, ["-c", "import sys; print(sys.stdout.encoding.lower().replace('-', ''))"])
    assert proc.waitForFinished(30_000)
    assert bytes(proc.readAllStandardOutput().data()).decode().strip() == "utf8"
