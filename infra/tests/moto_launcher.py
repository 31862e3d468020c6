#!/usr/bin/env python3
"""Start moto_server with the one piece the apply test needs that moto lacks.

moto (5.2) implements Application Auto Scaling's targets and policies but not
its tagging calls. The AWS provider tags every scalable target (default_tags)
and reads the tags back with ListTagsForResource; moto answers 500, which the
provider retries for minutes before failing. This launcher adds an in-memory
TagResource / UntagResource / ListTagsForResource (and keeps the Tags given to
RegisterScalableTarget), then runs moto's own server entry point with the
given arguments, e.g.:

    python moto_launcher.py -H 127.0.0.1 -p 5000
"""

from __future__ import annotations

import json
import sys
from typing import Any

from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.server import main

_TAGS: dict[str, dict[str, str]] = {}


def _list_tags_for_resource(self: Any) -> str:
    return json.dumps({"Tags": _TAGS.get(self._get_param("ResourceARN"), {})})


def _tag_resource(self: Any) -> str:
    _TAGS.setdefault(self._get_param("ResourceARN"), {}).update(self._get_param("Tags") or {})
    return json.dumps({})


def _untag_resource(self: Any) -> str:
    tags = _TAGS.get(self._get_param("ResourceARN"), {})
    for key in self._get_param("TagKeys") or []:
        tags.pop(key, None)
    return json.dumps({})


_register = ApplicationAutoScalingResponse.register_scalable_target


def _register_scalable_target(self: Any) -> str:
    body = _register(self)
    tags = self._get_param("Tags")
    if tags:
        _TAGS.setdefault(json.loads(body)["ScalableTargetARN"], {}).update(tags)
    return body


ApplicationAutoScalingResponse.list_tags_for_resource = _list_tags_for_resource
ApplicationAutoScalingResponse.tag_resource = _tag_resource
ApplicationAutoScalingResponse.untag_resource = _untag_resource
ApplicationAutoScalingResponse.register_scalable_target = _register_scalable_target

if __name__ == "__main__":
    main(sys.argv[1:])
