"""Encryption at rest and the blind index."""

import json

from wuzaicun.core import crypto


def test_ciphertext_hides_the_value_and_round_trips():
    blob = crypto.encrypt("520321199001011234", context=b"resident_id")
    assert b"520321199001011234" not in blob
    assert crypto.decrypt(blob, context=b"resident_id") == "520321199001011234"
    assert crypto.encrypt("520321199001011234", context=b"resident_id") != blob  # fresh nonce


def test_the_context_binds_a_ciphertext_to_its_column():
    import pytest
    from cryptography.exceptions import InvalidTag

    blob = crypto.encrypt("13812341234", context=b"phone")
    with pytest.raises(InvalidTag):
        crypto.decrypt(blob, context=b"resident_id")


def test_blind_index_is_stable_keyed_and_separated_by_purpose():
    a = crypto.blind_index("520321199001011234", purpose=b"resident_id")
    assert a == crypto.blind_index("520321199001011234", purpose=b"resident_id")
    assert a != crypto.blind_index("520321199001011234", purpose=b"phone")
    assert "520321199001011234" not in a and len(a) == 64


def test_old_key_versions_still_decrypt_after_rotation(settings, tmp_path):
    settings.FIELD_KEYS_FILE = tmp_path / "keys.json"
    crypto.keys.cache_clear()
    old = crypto.encrypt("旧数据")
    data = json.loads(settings.FIELD_KEYS_FILE.read_text())
    data["aes"]["2"] = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
    settings.FIELD_KEYS_FILE.write_text(json.dumps(data))
    crypto.keys.cache_clear()
    new = crypto.encrypt("新数据")
    assert new[0] == 2 and old[0] == 1
    assert crypto.decrypt(old) == "旧数据" and crypto.decrypt(new) == "新数据"
