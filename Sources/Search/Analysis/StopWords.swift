/// Short lists of function words left out of the index, compared after elisions are removed.
enum StopWords {
  static let french = [
    "a", "à", "au", "aux", "avec", "ce", "ces", "c", "d", "dans", "de", "des", "du", "elle",
    "en", "et", "eux", "il", "ils", "j", "je", "l", "la", "le", "les", "leur", "leurs", "lui",
    "m", "ma", "mais", "me", "mes", "moi", "mon", "n", "ne", "nos", "notre", "nous", "on", "ou",
    "où", "par", "pas", "pour", "qu", "que", "qui", "s", "sa", "se", "ses", "son", "sur", "t",
    "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "y", "est",
    "sont", "été", "être", "cette", "cet",
  ]

  static let english = [
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "he",
    "her", "his", "i", "in", "into", "is", "it", "its", "of", "on", "or", "our", "she", "that",
    "the", "their", "them", "they", "this", "to", "was", "we", "were", "which", "who", "will",
    "with", "you", "your",
  ]
}
