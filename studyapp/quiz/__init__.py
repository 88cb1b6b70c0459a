"""Quizzes: start, take one question per page, results, published class quizzes."""
