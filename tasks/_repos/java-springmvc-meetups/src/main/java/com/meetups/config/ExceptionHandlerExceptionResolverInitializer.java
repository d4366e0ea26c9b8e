package com.meetups.config;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.handler.HandlerExceptionResolverComposite;
import org.springframework.web.servlet.mvc.method.annotation.ExceptionHandlerExceptionResolver;

/**
 * Resolvers nested in a composite are not beans themselves, so the container does not hand them
 * the application context or call afterPropertiesSet; this does (as WebMvcConfigurationSupport would).
 */
public class ExceptionHandlerExceptionResolverInitializer implements ApplicationContextAware, InitializingBean {
    private final HandlerExceptionResolverComposite composite;
    private ApplicationContext context;

    public ExceptionHandlerExceptionResolverInitializer(HandlerExceptionResolverComposite composite) {
        this.composite = composite;
    }

    @Override
    public void setApplicationContext(ApplicationContext applicationContext) {
        this.context = applicationContext;
    }

    @Override
    public void afterPropertiesSet() {
        for (HandlerExceptionResolver resolver : composite.getExceptionResolvers()) {
            if (resolver instanceof ExceptionHandlerExceptionResolver advice) {
                advice.setApplicationContext(context);
                advice.afterPropertiesSet();
            }
        }
    }
}
