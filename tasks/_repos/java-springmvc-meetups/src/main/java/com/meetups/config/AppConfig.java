package com.meetups.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.meetups.repository.EventRepository;
import com.meetups.repository.InMemoryEventRepository;
import com.meetups.repository.InMemoryRegistrationRepository;
import com.meetups.repository.RegistrationRepository;
import com.meetups.service.BookingLock;
import com.meetups.service.EventService;
import com.meetups.service.RegistrationService;
import org.springframework.context.annotation.Bean;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.StringHttpMessageConverter;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.web.servlet.handler.HandlerExceptionResolverComposite;
import org.springframework.web.servlet.mvc.method.annotation.ExceptionHandlerExceptionResolver;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.servlet.mvc.support.DefaultHandlerExceptionResolver;

import java.util.List;

/**
 * Bean definitions in Spring's "lite" mode: deliberately NOT annotated with @Configuration, so
 * Spring 4.3 does not CGLIB-proxy it (that proxying fails on JDK 17+). Beans that need other
 * beans take them as method parameters instead of calling each other's @Bean methods.
 *
 * <p>The MVC infrastructure that @EnableWebMvc would provide is declared explicitly: handler
 * mapping, handler adapter and exception resolvers, all sharing one Jackson converter.
 */
public class AppConfig {

    @Bean
    public ObjectMapper objectMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        // Strings must be JSON strings: no silent 42 -> "42" or true -> "true".
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    @Bean
    public MappingJackson2HttpMessageConverter jsonConverter(ObjectMapper objectMapper) {
        return new MappingJackson2HttpMessageConverter(objectMapper);
    }

    @Bean
    public RequestMappingHandlerMapping requestMappingHandlerMapping() {
        RequestMappingHandlerMapping mapping = new RequestMappingHandlerMapping();
        mapping.setOrder(0);
        mapping.setUseSuffixPatternMatch(false);
        return mapping;
    }

    @Bean
    public RequestMappingHandlerAdapter requestMappingHandlerAdapter(MappingJackson2HttpMessageConverter json) {
        RequestMappingHandlerAdapter adapter = new RequestMappingHandlerAdapter();
        adapter.setMessageConverters(converters(json));
        return adapter;
    }

    @Bean
    public HandlerExceptionResolverComposite handlerExceptionResolver(MappingJackson2HttpMessageConverter json) {
        ExceptionHandlerExceptionResolver advice = new ExceptionHandlerExceptionResolver();
        advice.setMessageConverters(converters(json));
        HandlerExceptionResolverComposite composite = new HandlerExceptionResolverComposite();
        composite.setExceptionResolvers(List.of(advice, new DefaultHandlerExceptionResolver()));
        return composite;
    }

    @Bean
    public ExceptionHandlerExceptionResolverInitializer exceptionResolverInitializer(
            HandlerExceptionResolverComposite composite) {
        return new ExceptionHandlerExceptionResolverInitializer(composite);
    }

    @Bean
    public BookingLock bookingLock() {
        return new BookingLock();
    }

    @Bean
    public EventRepository eventRepository() {
        return new InMemoryEventRepository();
    }

    @Bean
    public RegistrationRepository registrationRepository() {
        return new InMemoryRegistrationRepository();
    }

    @Bean
    public RegistrationService registrationService(EventRepository events, RegistrationRepository registrations,
                                                   BookingLock lock) {
        return new RegistrationService(events, registrations, lock);
    }

    @Bean
    public EventService eventService(EventRepository events, RegistrationRepository registrations,
                                     RegistrationService registrationService, BookingLock lock) {
        return new EventService(events, registrations, registrationService, lock);
    }

    private static List<HttpMessageConverter<?>> converters(MappingJackson2HttpMessageConverter json) {
        return List.of(new StringHttpMessageConverter(), json);
    }
}
