package com.stockroom.http;

/** One endpoint. */
@FunctionalInterface
public interface Handler {
    Response handle(Request request);
}
