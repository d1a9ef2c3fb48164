"""Word segmentation (tách từ) with underthesea works offline: no download, no socket."""

import os
import subprocess
import sys
import textwrap

from doingoai.textproc.classify import segment, word_features

# Run in a fresh interpreter so that nothing was imported or downloaded before the sockets are
# blocked, with an empty home folder so that no cached model can be used either.
OFFLINE_SCRIPT = textwrap.dedent(
    """
    import socket

    def refuse(*args, **kwargs):
        raise OSError("network access attempted")

    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse

    from doingoai.textproc.classify import segment

    print("|".join(segment("Cửa khẩu Kim Thành thông quan hàng nghìn xe nông sản")))
    """
)


def test_segmentation_works_with_the_network_blocked(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path), "HF_HUB_OFFLINE": "0"}
    env.pop("UNDERTHESEA_FOLDER", None)
    done = subprocess.run(
        [sys.executable, "-c", OFFLINE_SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    words = done.stdout.strip().split("|")
    assert "cửa_khẩu" in words and "kim_thành" in words and "thông_quan" in words
    assert list(tmp_path.iterdir()) == []  # nothing downloaded or cached in the home folder


def test_segment_joins_syllables_and_drops_punctuation():
    words = segment("Du khách đến Sa Pa, ngắm ruộng bậc thang!")
    assert words[:2] == ["du_khách", "đến"]
    assert "," not in words and "!" not in words
    assert segment("") == [] and segment("   ") == []


def test_word_features_add_bigrams():
    features = word_features("tin giả lan truyền")
    words = segment("tin giả lan truyền")
    assert features[: len(words)] == words
    assert f"{words[0]} {words[1]}" in features
