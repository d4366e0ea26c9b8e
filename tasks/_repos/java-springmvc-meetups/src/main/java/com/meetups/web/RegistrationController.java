package com.meetups.web;

import com.meetups.service.RegistrationService;
import com.meetups.service.RegistrationView;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /events/{eventId}/registrations and /events/{eventId}/registrations/{registrationId}. */
@RestController
@RequestMapping("/events/{eventId}/registrations")
public class RegistrationController {
    private final RegistrationService registrations;

    public RegistrationController(RegistrationService registrations) {
        this.registrations = registrations;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public RegistrationView register(@PathVariable("eventId") long eventId, @RequestBody RegistrationRequest request) {
        return registrations.register(eventId, request);
    }

    @GetMapping
    public Map<String, Object> list(@PathVariable("eventId") long eventId,
                                    @RequestParam(value = "status", required = false) String status) {
        List<RegistrationView> found = registrations.list(eventId, status);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event_id", eventId);
        body.put("registrations", found);
        return body;
    }

    @DeleteMapping("/{registrationId}")
    public Map<String, RegistrationView> cancel(@PathVariable("eventId") long eventId,
                                                @PathVariable("registrationId") long registrationId) {
        return registrations.cancel(eventId, registrationId);
    }
}
