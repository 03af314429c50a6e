-- entente.options: methods for the options area, installed on World by init.lua.
return function(entente, World)
end
