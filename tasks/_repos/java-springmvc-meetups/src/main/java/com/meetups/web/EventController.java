package com.meetups.web;

import com.meetups.service.EventService;
import com.meetups.service.EventView;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /events and /events/{id}. */
@RestController
@RequestMapping("/events")
public class EventController {
    private final EventService events;

    public EventController(EventService events) {
        this.events = events;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public EventView create(@RequestBody EventRequest request) {
        return events.create(request);
    }

    @GetMapping
    public Map<String, Object> list(@RequestParam(value = "venue", required = false) String venue,
                                    @RequestParam(value = "from", required = false) String from) {
        List<EventView> found = events.list(venue, from);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("events", found);
        body.put("count", found.size());
        return body;
    }

    @GetMapping("/{id}")
    public EventView get(@PathVariable("id") long id) {
        return events.get(id);
    }

    @PutMapping("/{id}")
    public EventView update(@PathVariable("id") long id, @RequestBody EventRequest request) {
        return events.update(id, request);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable("id") long id) {
        events.delete(id);
    }
}
