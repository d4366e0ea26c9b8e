package com.stockroom.model;

import java.util.Locale;

/** Kinds of stock movement. */
public enum MovementType {
    /** Goods arrived: quantity must be positive and is added. */
    RECEIVE,
    /** Goods left: quantity must be positive and is subtracted. */
    SHIP,
    /** Stock-take correction: quantity is a signed, non-zero delta. */
    ADJUST;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "receive" / "ship" / "adjust"; returns null for anything else. */
    public static MovementType fromWire(String value) {
        if (value == null) {
            return null;
        }
        for (MovementType type : values()) {
            if (type.wireName().equals(value)) {
                return type;
            }
        }
        return null;
    }
}
