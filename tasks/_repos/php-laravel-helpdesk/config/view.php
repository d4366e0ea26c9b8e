<?php

return [
    // The API renders no templates; the view factory only backs the response() helper.
    'paths' => [],
    'compiled' => storage_path('framework/views'),
];
