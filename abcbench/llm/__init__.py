"""Talking to chat-completion models: the HTTP client with retries, usage and price accounting."""
