"""Step 4, plan: tasks with owners and due times, the suggested tasks per kind."""
