"""Reference solutions. The grader does not use them (the checks hold their own answers), so a
lecturer may delete this folder from the copy handed to students."""
