package com.helpdesk.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A comment on a ticket. Internal comments are only visible to staff. */
@JsonPropertyOrder({"id", "ticket_id", "author", "body", "internal", "created_at"})
public record Comment(
        long id,
        @JsonProperty("ticket_id") long ticketId,
        String author,
        String body,
        boolean internal,
        @JsonProperty("created_at") String createdAt) {
}
