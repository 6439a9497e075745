"""Viewer URL signatures, implemented independently of any client library.

Two policy serialisations exist among the official Draftable clients and a compatible
server must accept both:
  object form (Python, Node): {"account_id":"<acct>","identifier":"<id>","valid_until":<int>}
  array form (.NET, Java):    ["<acct>","<id>",<int>]
The signature is the lowercase hex HMAC-SHA256 of the compact policy, keyed with the
account's auth token (UTF-8).
"""

import hashlib
import hmac
import json


def object_policy(account_id: str, identifier: str, valid_until: int) -> str:
    return (
        '{"account_id":' + json.dumps(account_id)
        + ',"identifier":' + json.dumps(identifier)
        + ',"valid_until":' + str(int(valid_until)) + "}"
    )


def array_policy(account_id: str, identifier: str, valid_until: int) -> str:
    return "[" + json.dumps(account_id) + "," + json.dumps(identifier) + "," + str(int(valid_until)) + "]"


def _hmac(token: str, policy: str) -> str:
    return hmac.new(token.encode("utf-8"), policy.encode("utf-8"), hashlib.sha256).hexdigest()


def sign_object(account_id: str, token: str, identifier: str, valid_until: int) -> str:
    return _hmac(token, object_policy(account_id, identifier, valid_until))


def sign_array(account_id: str, token: str, identifier: str, valid_until: int) -> str:
    return _hmac(token, array_policy(account_id, identifier, valid_until))
