from dlrepro.train.checkpoint import state_key


def test_state_key_follows_settings_and_input_content(tmp_path):
    data = tmp_path / "dataset"
    data.mkdir()
    (data / "images.npy").write_bytes(b"first images")
    (data / "index.parquet").write_bytes(b"index")
    key = state_key({"lr": 0.1}, [data])
    assert key == state_key({"lr": 0.1}, [data])
    assert key != state_key({"lr": 0.2}, [data])
    (data / "images.npy").write_bytes(b"other images")
    assert key != state_key({"lr": 0.1}, [data])
