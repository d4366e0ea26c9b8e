package com.stockroom.json;

import java.util.Map;

/** Implemented by models that know how to present themselves as a JSON object. */
public interface JsonSerializable {
    Map<String, Object> toJson();
}
