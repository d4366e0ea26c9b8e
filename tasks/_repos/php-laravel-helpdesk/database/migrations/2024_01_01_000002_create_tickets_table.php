<?php

use Illuminate\Database\Migrations\Migration;
use Illuminate\Database\Schema\Blueprint;
use Illuminate\Support\Facades\Schema;

return new class extends Migration
{
    public function up(): void
    {
        Schema::create('tickets', function (Blueprint $table) {
            $table->id();
            $table->string('subject', 150);
            $table->text('description');
            $table->string('requester_email');
            $table->string('priority', 10)->default('normal');
            $table->string('status', 12)->default('open');
            $table->foreignId('assignee_id')->nullable()->constrained('agents')->nullOnDelete();
            $table->timestamp('resolved_at')->nullable();
            $table->timestamp('closed_at')->nullable();
            $table->timestamps();

            $table->index(['status', 'priority']);
            $table->index('requester_email');
        });
    }

    public function down(): void
    {
        Schema::dropIfExists('tickets');
    }
};
