package com.helpdesk.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A support ticket as stored and as returned by the API. */
@JsonPropertyOrder({"id", "title", "description", "priority", "status", "reporter", "assignee", "resolution",
        "comment_count", "created_at", "updated_at"})
public record Ticket(
        long id,
        String title,
        String description,
        Priority priority,
        Status status,
        String reporter,
        String assignee,
        String resolution,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt,
        @JsonProperty("comment_count") int commentCount) {
}
